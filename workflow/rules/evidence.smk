rule evidence_todo:
    input:
        config=P.config,
        ledger=P.ledger,
        records=P.records,
        evidence_log=optional(P.evidence_log),
    output:
        todo=P.processed / "evidence_log_todo.csv",
    log:
        LOGS / "evidence_todo.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} evidence-todo 2>&1 | tee {log}"


rule tables:
    input:
        config=P.config,
        ledger=P.ledger,
        evidence_log=optional(P.evidence_log),
    output:
        evidence=P.processed / "evidence_log.csv",
        tables=table_files(),
    log:
        LOGS / "tables.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} tables 2>&1 | tee {log}"
