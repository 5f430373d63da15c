package testenv

import (
	"fmt"
	"os"
	"time"
)

// LabelKey marks everything integration tests create; LabelRun carries the
// id of one test process, so its cleanup never touches another run's objects.
const (
	LabelKey = "berth.test"
	LabelRun = "berth.test.run"
)

// RunID identifies this test process.
var RunID = fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)

// Labels returns the labels every object a test creates must carry.
func Labels() map[string]string {
	return map[string]string{LabelKey: "1", LabelRun: RunID}
}

// RunFilter is the label filter value that selects this run's objects.
func RunFilter() string { return LabelRun + "=" + RunID }

// Name returns a unique object name for a test: prefix plus the run id.
func Name(prefix string) string {
	return fmt.Sprintf("berth-%s-%s-%d", prefix, RunID, time.Now().UnixNano()%1e6)
}
