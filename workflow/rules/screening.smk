# Screening: one job for every stage (a stage's works depend on the stage
# before). Reads the decision files; writes outcomes, worksheets, conflicts,
# agreement and the summary that `snakemake status` prints.
rule screen:
    input:
        config=P.config,
        records=P.records,
        clusters=P.clusters,
        search_log=P.search_log,
        decisions=decision_files(),
    output:
        decisions=P.decisions_table,
        outcomes=P.screening / "outcomes.csv",
        orphans=P.orphans,
        summary=P.screening_summary,
        stopping=P.stopping,
        worksheets=worksheet_files(),
        conflicts=[str(P.conflicts(s)) for s in STAGES],
        agreement=[str(P.agreement(s)) for s in STAGES],
    log:
        LOGS / "screen.log",
    threads: 2  # a large stage's texts are cut into words in two processes for the priority order
    resources:
        mem_mb=mem_mb("screen"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} screen --workers {threads} 2>&1 | tee {log}"
