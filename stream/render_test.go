package stream_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

// render draws msgs and returns the output, split after each Render call.
func render(t *testing.T, terminal bool, msgs []stream.Progress) []string {
	t.Helper()
	var out bytes.Buffer
	r := stream.NewRenderer(&out, terminal)
	var got []string
	for _, p := range msgs {
		if err := r.Render(p); err != nil {
			t.Fatal(err)
		}
		got = append(got, out.String())
		out.Reset()
	}
	return got
}

func TestRendererPull(t *testing.T) {
	t.Parallel()
	msgs := readProgress(t, "pull.jsonl")
	terminal := []string{
		"3.19: Pulling from library/alpine\n",
		"aaa: Pulling fs layer\n",
		"bbb: Pulling fs layer\n",
		"\x1b[2A\r\x1b[2Kaaa: Downloading [=====>     ]     100B/1kB\x1b[2B\r",
		"\x1b[1A\r\x1b[2Kbbb: Downloading 500B/2.00kB\x1b[1B\r",
		"\x1b[2A\r\x1b[2Kaaa: Download complete\x1b[2B\r",
		"\x1b[2A\r\x1b[2Kaaa: Extracting 3/4 s\x1b[2B\r",
		"\x1b[2A\r\x1b[2Kaaa: Pull complete\x1b[2B\r",
		"\x1b[1A\r\x1b[2Kbbb: Pull complete\x1b[1B\r",
		"Digest: sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\n",
		"Status: Downloaded newer image for alpine:3.19\n",
	}
	if diff := cmp.Diff(terminal, render(t, true, msgs)); diff != "" {
		t.Errorf("terminal (-want +got):\n%s", diff)
	}
	plain := []string{
		"3.19: Pulling from library/alpine\n",
		"aaa: Pulling fs layer\n",
		"bbb: Pulling fs layer\n",
		"",
		"",
		"aaa: Download complete\n",
		"",
		"aaa: Pull complete\n",
		"bbb: Pull complete\n",
		"Digest: sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\n",
		"Status: Downloaded newer image for alpine:3.19\n",
	}
	if diff := cmp.Diff(plain, render(t, false, msgs)); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}
}

func TestRendererLoad(t *testing.T) {
	t.Parallel()
	msgs := readProgress(t, "load.jsonl")
	terminal := strings.Join([]string{
		"2a8da5598f27: Loading layer [>                                                  ]  32.77kB/3.002MB\n",
		"\x1b[1A\r\x1b[2K2a8da5598f27: Loading layer [==================================================>]  3.002MB/3.002MB\x1b[1B\r",
		"26b8325c10d3: Loading layer [=>                                                 ]  32.77kB/1.502MB\n",
		"\x1b[1A\r\x1b[2K26b8325c10d3: Loading layer [==================================================>]  1.502MB/1.502MB\x1b[1B\r",
		"\x1b[1A\r\x1b[2K26b8325c10d3: Loading layer [==================================================>]  1.502MB/1.502MB\x1b[1B\r",
		"Loaded image: berth-stream-capture:1\n",
	}, "")
	if diff := cmp.Diff(terminal, strings.Join(render(t, true, msgs), "")); diff != "" {
		t.Errorf("terminal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("Loaded image: berth-stream-capture:1\n", strings.Join(render(t, false, msgs), "")); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}
}

func TestRendererBuild(t *testing.T) {
	t.Parallel()
	msgs := readProgress(t, "build-error.jsonl")
	want := "Step 1/3 : FROM smoke:1\n" +
		" ---> bb453fe8a400\n" +
		"Step 2/3 : LABEL berth.test=stream-capture\n" +
		" ---> Running in bec0176d5ac4\n" +
		"Removing intermediate container bec0176d5ac4\n" +
		" ---> 58294a29fb38\n" +
		"Step 3/3 : RUN /hello\n" +
		" ---> Running in 30cab3d968e2\n" +
		`error: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown` + "\n"
	for _, terminal := range []bool{true, false} {
		if diff := cmp.Diff(want, strings.Join(render(t, terminal, msgs), "")); diff != "" {
			t.Errorf("terminal=%v (-want +got):\n%s", terminal, diff)
		}
	}
	// The aux message of a successful build draws nothing.
	ok := readProgress(t, "build.jsonl")
	got := strings.Join(render(t, true, ok), "")
	if strings.Contains(got, "sha256:") || !strings.HasSuffix(got, "Successfully tagged berth-stream-capture:1\n") {
		t.Errorf("build.jsonl rendered as %q", got)
	}
}

func TestRendererProgressWithoutID(t *testing.T) {
	t.Parallel()
	msgs := []stream.Progress{
		{Status: "Sending build context", ProgressDetail: &stream.ProgressDetail{Current: 999}},
		{Status: "Sending build context", ProgressDetail: &stream.ProgressDetail{Current: 999_999}},
		{ID: "x", Status: "Waiting", ProgressDetail: &stream.ProgressDetail{}},
		{Stream: "Step 1/1 : FROM scratch\n"},
		{Status: "Uploading", ProgressDetail: &stream.ProgressDetail{Current: 12_345_678, Total: 3_000_000_000}},
		{Status: "Uploading", ProgressDetail: &stream.ProgressDetail{Current: 5, Total: 10, HideCounts: true}},
		{Aux: []byte(`{"ID":"sha256:abc"}`)},
		{Status: "done"},
	}
	terminal := []string{
		"\r\x1b[2KSending build context 999B",
		"\r\x1b[2KSending build context 1.00MB",
		"\nx: Waiting\n",
		"Step 1/1 : FROM scratch\n",
		"\r\x1b[2KUploading 12.3MB/3.00GB",
		"\r\x1b[2KUploading",
		"",
		"\ndone\n",
	}
	if diff := cmp.Diff(terminal, render(t, true, msgs)); diff != "" {
		t.Errorf("terminal (-want +got):\n%s", diff)
	}
	plain := []string{"", "", "x: Waiting\n", "Step 1/1 : FROM scratch\n", "", "", "", "done\n"}
	if diff := cmp.Diff(plain, render(t, false, msgs)); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}
}

func TestRendererWriteError(t *testing.T) {
	t.Parallel()
	boom := errors.New("closed")
	r := stream.NewRenderer(&errWriter{err: boom}, true)
	if err := r.Render(stream.Progress{Status: "x"}); !errors.Is(err, boom) {
		t.Errorf("Render: err = %v, want %v", err, boom)
	}
}
