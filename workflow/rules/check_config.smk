# ---- Config: the one validation step. Every problem as one short line (Snakemake's validate()
# stops at the first, verbosely); on success the config gets every default of the schema. -----
import copy

from scripts.settings.themes import split_themes
from scripts.settings.validation import check_config_or_exit

# themes as written (plain lists or {label, words}); config["themes"] becomes name -> seed words
THEMES_AS_WRITTEN = copy.deepcopy(config.get("themes"))
config.update(
    check_config_or_exit(
        config,
        f"{workflow.basedir}/workflow/schemas/config.schema.yaml",
        command_line_files=list(workflow.overwrite_configfiles or []),
        workflow_files=[f for f in workflow.configfiles if f not in (workflow.overwrite_configfiles or [])],
    )
)
# the labels written in the config (theme_labels() in common.smk)
CONFIGURED_THEME_LABELS = split_themes(THEMES_AS_WRITTEN)[1]
