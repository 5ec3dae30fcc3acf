rule report:
    input:
        config=P.config,
        counts=P.counts,
        evidence=P.processed / "evidence_log.csv",
        agreement=[str(P.agreement(s)) for s in STAGES],
        templates=template_files(),
    output:
        sections=report_sections(),
    log:
        LOGS / "report.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
        templates=TEMPLATES,
    shell:
        "{params.cli} report --templates {params.templates:q} 2>&1 | tee {log}"
