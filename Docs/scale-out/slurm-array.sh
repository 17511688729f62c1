#!/usr/bin/env bash
# Transcribe a Common Voice split on 4 nodes as a Slurm array job, then merge.
#   sbatch Docs/scale-out/slurm-array.sh
# Every task runs the same command; speechprep reads SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT and handles shard k of N (a stable hash of each clip id), writing
# part-k-of-N.jsonl + part-k-of-N.done into the shared output folder. A task that dies resumes
# from its own journal when it runs again: requeue it (`scontrol requeue <jobid>_2`), or
# resubmit it alone with the shard count (alone it is an array of one task):
#   sbatch --array=2 --export=ALL,SPEECHPREP_SHARD_COUNT=4 Docs/scale-out/slurm-array.sh
# Proven on a one-node Slurm 22.05 cluster by Scripts/slurm-e2e.sh (see README.md here).
#SBATCH --job-name=speechprep
#SBATCH --array=0-3
#SBATCH --cpus-per-task=8
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=logs/speechprep-%A-%a.log
set -euo pipefail

RELEASE=${RELEASE:-/data/cv-corpus-17.0/en}
OUT=${OUT:-/shared/speechprep/en-dev}

speechprep transcribe "$RELEASE" --split dev --out "$OUT" \
    --workers "${SLURM_CPUS_PER_TASK:-8}" --progress-every 500

# Merge once every task is done — e.g. in a follow-up job, submitted with the array:
#   sbatch --dependency=afterok:<array job id> --wrap "speechprep merge $OUT --verify"
# (If a task failed or was cancelled, that merge never starts; after the rerun, submit it again
# with --dependency=afterok:<rerun's job id>, or run the merge by hand.)
