rule import_records:
    input:
        config=P.config,
        search_log=P.search_log,
        exports=export_files(),
    output:
        records=P.records,
        report=P.import_report,
    log:
        LOGS / "import.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} import 2>&1 | tee {log}"
