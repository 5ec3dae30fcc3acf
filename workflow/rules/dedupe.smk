rule dedupe:
    input:
        config=P.config,
        records=P.records,
        overrides=optional(P.duplicate_decisions),
    output:
        clusters=P.clusters,
        review=P.dedupe_review,
        sources=P.dedupe_sources,
        related=P.related,
    log:
        LOGS / "dedupe.log",
    threads: 1
    resources:
        mem_mb=mem_mb("dedupe"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} dedupe 2>&1 | tee {log}"
