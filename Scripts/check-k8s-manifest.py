#!/usr/bin/env python3
"""Checks Docs/scale-out/k8s-indexed-job.yaml without a cluster (there is none here).

A YAML parse (PyYAML, Debian's python3-yaml) and a check of what SpeechPrep relies on:
- two batch/v1 Jobs; the first an Indexed Job (completionMode: Indexed) whose completions
  and parallelism are positive integers;
- its container runs `transcribe` (or `prepare`) with --out, and sets SPEECHPREP_SHARD_COUNT
  equal to completions (Kubernetes sets JOB_COMPLETION_INDEX itself; speechprep reads both),
  and does not pass --shard (that would pin every pod to one shard);
- restartPolicy Never with backoffLimitPerIndex, so a failed index is retried on its own;
- the merge Job runs `merge <the same output folder> --verify`, mounts the same volume claim
  there, and restarts OnFailure (merge --verify refuses until every shard is done).
Usage: Scripts/check-k8s-manifest.py [manifest]   (exit 1 with every problem listed)
"""
import sys

import yaml

path = sys.argv[1] if len(sys.argv) > 1 else "Docs/scale-out/k8s-indexed-job.yaml"
problems = []


def need(condition, message):
    if not condition:
        problems.append(message)
    return condition


def container_of(job):
    containers = job.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
    need(len(containers) == 1, f"{job['metadata']['name']}: expected one container, found {len(containers)}")
    return containers[0] if containers else {}


def mount_claims(job, container):
    """mountPath -> persistentVolumeClaim claimName for the container."""
    volumes = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName")
               for v in job["spec"]["template"]["spec"].get("volumes", [])}
    return {m["mountPath"]: volumes.get(m["name"]) for m in container.get("volumeMounts", [])}


def option(args, name):
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None


with open(path, encoding="utf-8") as f:
    documents = [d for d in yaml.safe_load_all(f) if d is not None]

jobs = [d for d in documents if d.get("apiVersion") == "batch/v1" and d.get("kind") == "Job"]
if need(len(jobs) == 2 and len(documents) == 2, f"expected exactly two batch/v1 Jobs, found {len(jobs)} of {len(documents)} documents"):
    work, merge = jobs
    spec = work.get("spec", {})
    need(spec.get("completionMode") == "Indexed", "the first Job must have completionMode: Indexed")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    need(isinstance(completions, int) and completions > 0, f"completions must be a positive integer, is {completions!r}")
    need(isinstance(parallelism, int) and 0 < parallelism, f"parallelism must be a positive integer, is {parallelism!r}")
    need(spec.get("template", {}).get("spec", {}).get("restartPolicy") == "Never",
         "the Indexed Job's pods need restartPolicy: Never (backoffLimitPerIndex requires it)")
    need(isinstance(spec.get("backoffLimitPerIndex"), int), "the Indexed Job should retry each index on its own (backoffLimitPerIndex)")
    container = container_of(work)
    args = [str(a) for a in container.get("args", [])]
    need(args[:1] in (["transcribe"], ["prepare"]), f"the shard container must run transcribe or prepare, runs {args[:1]}")
    need("--shard" not in args, "the shard container must not pass --shard: the index comes from JOB_COMPLETION_INDEX")
    out = option(args, "--out")
    need(out is not None, "the shard container must pass --out")
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    need(env.get("SPEECHPREP_SHARD_COUNT") == str(completions),
         f"SPEECHPREP_SHARD_COUNT must equal completions ({completions}), is {env.get('SPEECHPREP_SHARD_COUNT')!r}")
    need("JOB_COMPLETION_INDEX" not in env, "JOB_COMPLETION_INDEX is set by Kubernetes; do not override it")
    claims = mount_claims(work, container)
    need(out in claims and claims[out], f"--out {out} must be a mounted persistent volume claim (shared by the pods)")

    merge_container = container_of(merge)
    merge_args = [str(a) for a in merge_container.get("args", [])]
    need(merge_args[:1] == ["merge"] and "--verify" in merge_args,
         f"the second Job must run `merge <folder> --verify`, runs {merge_args}")
    need(out in merge_args, f"the merge Job must merge the shards' folder {out}")
    need(mount_claims(merge, merge_container).get(out) == claims.get(out),
         "the merge Job must mount the same claim at the shards' output folder")
    need(merge.get("spec", {}).get("template", {}).get("spec", {}).get("restartPolicy") == "OnFailure",
         "the merge Job must restart OnFailure (merge --verify fails until every shard is done)")

for problem in problems:
    print(f"{path}: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"{path}: an Indexed Job of {completions} completions ({parallelism} in parallel) and a merge Job: OK")
