# verify.txt is part of every run; `snakemake verify` re-checks on demand.
VERIFY_INPUTS = dict(
    config=P.config,
    records=P.records,
    import_report=P.import_report,
    clusters=P.clusters,
    ledger=P.ledger,
    counts=P.counts,
    prisma=P.prisma_csv,
)


rule verification:
    input:
        **VERIFY_INPUTS,
    output:
        P.processed / "verify.txt",
    log:
        LOGS / "verify.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} verify 2>&1 | tee {output} {log}"


rule verify:
    input:
        **VERIFY_INPUTS,
    params:
        cli=CLI,
    shell:
        "{params.cli} verify"


rule status:
    input:
        all_outputs(),
