rule import_records:
    input:
        config=P.config,
        search_log=P.search_log,
        exports=EXPORT_FILES,
    output:
        records=P.records,
        report=P.import_report,
    log:
        LOGS / "import.log",
    threads: 2  # large searches are read in two worker processes
    resources:
        mem_mb=mem_mb("import"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} import --max-workers {threads} 2>&1 | tee {log}"
