rule changes:
    input:
        config=P.config,
        ledger=P.ledger,
        counts=P.counts,
        previous_counts=P.previous_counts,
        search_log=P.search_log,
        decisions=P.decisions_table,
        orphans=P.orphans,
        previous_ledger=frozen_ledgers(),
        templates=template_files(),
    output:
        rounds=P.report / "changes.csv",
        report=P.report / "changes.md",
        details=changes_details(),
    log:
        LOGS / "changes.log",
    threads: 1
    resources:
        mem_mb=mem_mb("changes"),
    params:
        cli=CLI,
        code=CODE_VERSION,
        templates=TEMPLATES,
    shell:
        "{params.cli} changes --templates {params.templates:q} 2>&1 | tee {log}"
