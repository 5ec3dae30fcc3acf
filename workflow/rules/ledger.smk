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
        prisma=report(P.prisma_csv, caption="../report/prisma_csv.rst", category="PRISMA 2020"),
        flow_diagram=report(P.flow_diagram, caption="../report/flow_diagram.rst", category="PRISMA 2020"),
    log:
        LOGS / "ledger.log",
    threads: 1
    resources:
        mem_mb=mem_mb("ledger"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} ledger 2>&1 | tee {log}"
