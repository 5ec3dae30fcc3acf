# The evidence log: rows to add for newly included studies (its own job, so the
# to-do list is written even while the log is incomplete), then the checked log
# and the distribution tables with the search summary.

TABLE_FORMATS = ("csv", "md", "html", "tex")


def table_files():
    """Every table in every format: the configured ones and the search summary."""
    names = [t["name"] for t in config.get("tables", [])] + ["search_summary"]
    return [str(P.tables / f"{name}.{ext}") for name in names for ext in TABLE_FORMATS]


def reported_tables():
    """The tables, their HTML rendering marked for Snakemake's --report."""
    caption = "../report/tables.rst"
    # (a line may not start with `report(` in a Snakefile: it reads as the report directive)
    return [report(p, caption=caption, category="Tables", labels={"table": Path(p).stem}) if p.endswith(".html") else p
            for p in table_files()]


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
    threads: 1
    resources:
        mem_mb=mem_mb("evidence_todo"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} evidence-todo 2>&1 | tee {log}"


rule tables:
    priority: 1  # on the critical path to the report: before evidence_todo and verification
    input:
        config=P.config,
        ledger=P.ledger,
        import_report=P.import_report,
        evidence_log=optional(P.evidence_log),
    output:
        evidence=P.processed / "evidence_log.csv",
        tables=reported_tables(),
    log:
        LOGS / "tables.log",
    threads: 1
    resources:
        mem_mb=mem_mb("tables"),
    params:
        cli=CLI,
        code=CODE_VERSION,
    shell:
        "{params.cli} tables 2>&1 | tee {log}"
