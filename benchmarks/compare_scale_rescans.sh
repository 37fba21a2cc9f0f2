#!/bin/bash
# Issue 18's rescan targets, one command: warm rescans and +1,000 new files on the grown library
# (bench_scale.py --grow N first, in /tmp/dedup-scale), two builds alternated, ROUNDS rounds each.
#   benchmarks/compare_scale_rescans.sh [N=500000] [ROUNDS=2] [BASE_REV=main] [MINE_REV=HEAD]
# Used for 0.6.1's numbers (README "Large libraries"): compare_scale_rescans.sh 500000 1 a2489ad main.
# Each tree is `git archive REV` of this repository into /tmp/w5c-base and
# /tmp/w5c-mine, with engine/grouping's verification files ($OLD: verify, pixels,
# verdict_store, refute, displacement, placement, candidates) taken from 63f78cf, as in
# /tmp/measure-tree: verify.py's, pixels.py's and verdict_store's bytes key the stored
# verification outcomes, and the cache /tmp/dedup-scale/s4-<N/1000>k.sqlite3 is warm for
# 63f78cf's (any other bytes re-verify every component: 40+ min at 500k); the others are the
# code those three call (the +1,000 step verifies the components the new files join). The
# warm path runs none of them when everything is cached. The runs use a copy of that cache
# (/tmp/w5c-<N/1000>k.sqlite3, made once); each +1,000 run its own copy of it.
# Check every run prints decoded 0 (warm) / 901 (+1,000) and the same groups digest.
# NO_NEW=1: warm rescans only; SKIP_WARM=1: +1,000 only; WARM=1: one baseline warm-up run first.
set -e
N=${1:-500000}; ROUNDS=${2:-2}; BASE_REV=${3:-main}; MINE_REV=${4:-HEAD}
REPO=$(cd "$(dirname "$0")/.." && pwd)
export DEDUP_DATASETS=${DEDUP_DATASETS:-$REPO/../shared/datasets}; PY=${PYTHON:-$REPO/.venv/bin/python}; W=/tmp/dedup-scale
OLD=${OLD:-verify pixels verdict_store refute displacement placement candidates}; C=/tmp/w5c-$((N / 1000))k.sqlite3
copy() {  # copy SRC DST: a consistent copy through SQLite's backup (a plain cp misses what is
  # still in SRC's -wal file and leaves DST's stale -wal beside the new copy: seen as a rescan
  # that searched every pair again)
  rm -f $2 $2-wal $2-shm
  $PY -c "import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); d = sqlite3.connect(sys.argv[2])
s.backup(d); d.close(); s.close()" $1 $2
}
[ -f $C ] || copy $W/s4-$((N / 1000))k.sqlite3 $C
for t in base mine; do
  rev=$BASE_REV; [ $t = mine ] && rev=$MINE_REV
  rm -rf /tmp/w5c-$t; mkdir -p /tmp/w5c-$t; git -C $REPO archive $rev | tar -x -C /tmp/w5c-$t
  for f in $OLD; do
    git -C $REPO show 63f78cf:dedup_gui/engine/grouping/$f.py > /tmp/w5c-$t/dedup_gui/engine/grouping/$f.py
  done
  echo "$t = $rev $(git -C $REPO rev-parse --short $rev)"
done
BASE=/tmp/w5c-base; MINE=/tmp/w5c-mine
K=$((N / 20000)); NEW=$W/grown/new-$N
R=$(for k in $(seq 0 $((K-1))); do printf "$W/grown/r%02d:" $k; done)$NEW
mkdir -p $NEW; [ -z "$(ls -A $NEW)" ] || { echo "$NEW must be empty"; exit 1; }
run() {  # run TREE CACHE LABEL
  local L=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "    wall %e s  user %U s  sys %S s  peak RSS %M KB  (load $L)" env PYTHONPATH=$1 \
    $PY $1/benchmarks/bench_scale.py --child $R $2 2>&1 | $PY -c "
import sys, json
for l in sys.stdin:
    if l.startswith('{'):
        d = json.loads(l)
        print(f\"$3 {'$1':14s} signals {d['signals_s']:.1f} s  compare {d['compare_s']:.1f} s  \"
              f\"total {d['total_s']:.1f} s  digest {d.get('digest_s', 0):.1f} s  groups {d['groups']} {d['digest'][:10]}  decoded {d['decoded']}\")
    else:
        print(l.rstrip())"
}
[ -n "$WARM" ] && run $BASE $C "warm-up "
[ -n "$SKIP_WARM" ] || for i in $(seq $ROUNDS); do for t in $BASE $MINE; do run $t $C "warm    "; done; done
[ -n "$NO_NEW" ] && exit 0
# +1,000 new real pictures (901 decoded), each run on its own copy of the warm cache
PYTHONPATH=$MINE $PY -c "
import sys; sys.path.insert(0, '$MINE/benchmarks')
from pathlib import Path; import inspect, scale_library
# the grown library here was written without capture EXIF (before 0.6.2): new files alike
bare = {'capture': False} if 'capture' in inspect.signature(scale_library.make).parameters else {}
scale_library.make(Path('$NEW'), 1000, Path('$W/atlas.npy'), seed=11, **bare)"
trap 'rm -f /tmp/w5c-new.sqlite3*; rm -rf $NEW; mkdir -p $NEW' EXIT
for i in $(seq $ROUNDS); do for t in $BASE $MINE; do
  copy $C /tmp/w5c-new.sqlite3; run $t /tmp/w5c-new.sqlite3 "+1000   "; done; done
