# reviewflow: search exports -> records -> de-duplication -> screening ->
# ledger -> PRISMA 2020 counts, evidence tables and report.
#
#   snakemake --cores 2                                  # the review in this folder
#   snakemake -s PATH/TO/reviewflow/Snakefile -d REVIEW_DIR --cores 2
#   snakemake status | verify | dedupe                   # single targets
#
# The review's definition is config/config.yaml, loaded with a safe YAML
# loader and validated against workflow/reviewflow/schemas/config.schema.yaml
# (see workflow/rules/common.smk).

report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/import.smk"
include: "workflow/rules/dedupe.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/ledger.smk"
include: "workflow/rules/evidence.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/changes.smk"
include: "workflow/rules/verify.smk"


rule all:
    input:
        all_outputs(),
    default_target: True
