#!/bin/sh
# capture.sh records the golden response bodies in this directory from a
# real Engine (20.10.24, API 1.41, cgroup v1, vfs) for the decode tests.
# Usage: capture.sh IMAGE, where IMAGE is the integration test image
# (testdata/testimage built with its Dockerfile). It creates one labelled
# container with NetworkMode none and removes it at the end.
set -eu
IMAGE=${1:?usage: capture.sh IMAGE}
D="curl -sSf --unix-socket /var/run/docker.sock"
V=http://docker/v1.41
CREATE=$(cat <<JSON
{"Image":"$IMAGE","Cmd":["sleep","120"],"Env":["GREETING=hello"],"Labels":{"berth.capture":"1","app":"golden"},
 "Healthcheck":{"Test":["CMD","/berth-test","exit","0"],"Interval":1000000000,"Retries":3},
 "StopTimeout":5,"Volumes":{"/data":{}},
 "HostConfig":{"NetworkMode":"none","Memory":67108864,"CpuShares":512,"PidsLimit":64,
   "Mounts":[{"Type":"tmpfs","Target":"/scratch","TmpfsOptions":{"SizeBytes":1048576}}],
   "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2},"Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}]}}
JSON
)
ID=$($D -H 'Content-Type: application/json' -d "$CREATE" "$V/containers/create?name=berth-golden" | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
trap '$D -X DELETE "$V/containers/$ID?v=1&force=1" >/dev/null' EXIT
$D -X POST "$V/containers/$ID/start"
sleep 2.5 # let the health check run and stats gather two samples
$D "$V/containers/$ID/json?size=1" >inspect.json
$D "$V/containers/json?all=1&size=1&filters=%7B%22label%22%3A%5B%22app%3Dgolden%22%5D%7D" >list.json
$D "$V/containers/$ID/stats?stream=0" >stats.json
$D "$V/containers/$ID/stats?stream=0&one-shot=1" >stats-oneshot.json
$D "$V/containers/$ID/top" >top.json
$D "$V/containers/$ID/changes" >changes.json
EX=$($D -H 'Content-Type: application/json' -d '{"Cmd":["sleep","1"],"AttachStdout":true}' "$V/containers/$ID/exec" | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
$D "$V/exec/$EX/json" >exec-inspect.json
$D -I "$V/containers/$ID/archive?path=/berth-test" | tr -d '\r' | sed -n 's/^X-Docker-Container-Path-Stat: //p' >archive-stat.txt
$D -X POST "$V/containers/$ID/kill?signal=SIGTERM"
$D -X POST "$V/containers/$ID/wait" >wait.json
