rule ledger:
    input:
        config=P.config,
        records=P.records,
        clusters=P.clusters,
        outcomes=P.screening / "outcomes.csv",
        previous_ledger=frozen_ledgers(),
        studies=optional(P.study_decisions),
    output:
        ledger=P.ledger,
        previous_counts=P.previous_counts,
        counts=P.counts,
        prisma=P.prisma_csv,
        flow_diagram=P.flow_diagram,
    log:
        LOGS / "ledger.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} ledger 2>&1 | tee {log}"
