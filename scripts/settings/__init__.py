"""Config validation: the JSON schema is the one source of defaults and allowed values.

Reads ``config/config.yaml`` (merged by Snakemake) and ``workflow/schemas/config.schema.yaml``;
writes nothing: one-line problems and a config with every default filled.
"""
