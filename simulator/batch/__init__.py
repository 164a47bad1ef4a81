"""Many seeded runs of one scenario on Dask: per-seed outcomes and scores, their summary, and paired differences.

    from simulator.batch import run_batch, summarise, paired
    df = run_batch("scenarios/hazchem_leak.yaml", ["scenarios/hazchem_leak.poor.yaml"], range(1000))
    summarise(df)          # mean and 5/50/95 percentiles of every outcome figure and score, per plan
    paired(df)             # with two plans: their per-seed differences (common random numbers)

``running`` owns jobs, chunks and Dask clusters (each run is one ``simulator.experiment``); ``statistics`` owns
the table, its summaries and the paired comparison, and how they read; ``command`` is the handler of
``python -m simulator batch`` (its arguments are declared in ``simulator/cli.py``).
"""

from simulator.batch.running import (
    MAX_RUNS,
    SEED_LIMIT,
    Job,
    check_seeds,
    chunked,
    local_cluster_client,
    make_job,
    plan_labels,
    run_batch,
    run_chunk,
    run_job,
    run_serial,
    scheduler_client,
)
from simulator.batch.statistics import (
    COLUMNS,
    HEADS,
    METRICS,
    OUTCOME_COLUMNS,
    SCORES,
    BatchError,
    display_table,
    format_table,
    metric_label,
    paired,
    plans_of,
    save,
    summarise,
    to_frame,
)

__all__ = [
    "COLUMNS",
    "HEADS",
    "MAX_RUNS",
    "METRICS",
    "OUTCOME_COLUMNS",
    "SCORES",
    "SEED_LIMIT",
    "BatchError",
    "Job",
    "check_seeds",
    "chunked",
    "display_table",
    "format_table",
    "local_cluster_client",
    "make_job",
    "metric_label",
    "paired",
    "plan_labels",
    "plans_of",
    "run_batch",
    "run_chunk",
    "run_job",
    "run_serial",
    "save",
    "scheduler_client",
    "summarise",
    "to_frame",
]
