"""Entry scripts: one per Snakemake rule, named as the rule; each calls one function of a stage package."""
