# ---- Helpers shared by the rules ----------------------------------------------------------


wildcard_constraints:
    k=r"\d+",
    seed=r"\d+",


DEMO_CORPUS = "data/demo_corpus"


def grid():
    """Every (K, seed) pair of the model grid."""
    return [(k, seed) for k in config["model"]["k"] for seed in config["model"]["seeds"]]


def grid_paths(pattern):
    """``pattern`` formatted for every model of the grid."""
    return [pattern.format(k=k, seed=seed) for k, seed in grid()]


def corpus_input(wildcards):
    """The corpus path, so Snakemake builds the demo corpus when it is the one configured."""
    return config["corpus"]["path"]
