# verify.txt is part of every run; `snakemake verify` re-checks on demand.
VERIFY_INPUTS = dict(
    config=P.config,
    records=P.records,
    import_report=P.import_report,
    clusters=P.clusters,
    ledger=P.ledger,
    counts=P.counts,
    previous_counts=P.previous_counts,
    outcomes=P.screening / "outcomes.csv",
    previous_ledger=frozen_ledgers(),
    studies=optional(P.study_decisions),
    prisma=P.prisma_csv,
    flow_diagram=P.flow_diagram,
)


rule verification:
    input:
        **VERIFY_INPUTS,
    output:
        P.processed / "verify.txt",
    log:
        LOGS / "verify.log",
    threads: 1
    resources:
        mem_mb=mem_mb("verify"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} verify 2>&1 | tee {output} {log}"


rule verify:
    input:
        **VERIFY_INPUTS,
    log:
        LOGS / "verify_on_demand.log",
    threads: 1
    resources:
        mem_mb=mem_mb("verify"),
    params:
        cli=CLI,
    shell:
        "{params.cli} verify 2>&1 | tee {log}"


# `snakemake status`: brings everything up to date, then the onsuccess handler
# prints the status. The job only records it in its log: a rule without output
# always runs, so the handler runs even when nothing else had to be done.
rule status:
    input:
        all_outputs(),
    log:
        LOGS / "status.log",
    threads: 1
    resources:
        mem_mb=200,  # reads two small JSON files
    params:
        cli=CLI,
    shell:
        "{params.cli} status > {log}"
