rule screen:
    input:
        config=P.config,
        records=P.records,
        clusters=P.clusters,
        decisions=decision_files(),
    output:
        decisions=P.decisions_table,
        outcomes=P.screening / "outcomes.csv",
        orphans=P.screening / "orphans.csv",
        worksheets=worksheet_files(),
        conflicts=[str(P.conflicts(s)) for s in STAGES],
        agreement=[str(P.agreement(s)) for s in STAGES],
    log:
        LOGS / "screen.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} screen 2>&1 | tee {log}"
