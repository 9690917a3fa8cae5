# ---- Config: the one validation step. Every problem as one short line (Snakemake's validate()
# stops at the first, verbosely); on success the config gets every default of the schema. -----
from scripts.settings.validation import check_config_or_exit

config.update(
    check_config_or_exit(
        config,
        f"{workflow.basedir}/workflow/schemas/config.schema.yaml",
        command_line_files=list(workflow.overwrite_configfiles or []),
        workflow_files=[f for f in workflow.configfiles if f not in (workflow.overwrite_configfiles or [])],
    )
)
