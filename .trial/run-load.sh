#!/bin/bash
# usage: run-load.sh NAME -- command...   runs load while command runs
name=$1; shift; shift
export PATH=/work/main/node_modules/node/bin:$PATH
node /work/main/.trial/load.cjs /work/main/.trial/logs/load-$name.json & lp=$!
sleep 2
"$@" > /work/main/.trial/logs/$name.log 2>&1; rc=$?
sleep 2; kill $lp; wait $lp
echo "rc=$rc load: $(cat /work/main/.trial/logs/load-$name.json)"
