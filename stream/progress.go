package stream

import "encoding/json"

// Progress is one message of the JSON stream that image pull, push, build,
// load and import and plugin operations answer with. Which fields are set
// depends on the operation and the stage: per-layer progress has ID, Status
// and ProgressDetail (with Progress, the Engine's own rendering of it), build
// output has Stream, results come in Aux, and failures in Error and
// ErrorDetail (see Failed).
//
// The zero value is an empty message.
type Progress struct {
	// Status is a short text such as "Downloading" or "Pull complete".
	Status string `json:"status,omitempty"`
	// ID is what the message is about, typically a layer's short ID or a tag.
	ID string `json:"id,omitempty"`
	// Progress is the Engine's text rendering of ProgressDetail, a bar and
	// counts such as "[==>   ]  1.2MB/3.4MB".
	Progress string `json:"progress,omitempty"`
	// ProgressDetail is the progress in numbers. An empty object on the wire
	// still gives a non-nil pointer: it marks a per-layer message.
	ProgressDetail *ProgressDetail `json:"progressDetail,omitempty"`
	// Stream is build output text, newlines included.
	Stream string `json:"stream,omitempty"`
	// Aux is a result whose shape depends on the operation, such as
	// {"ID": "sha256:..."} at the end of a build or the tag, digest and size
	// at the end of a push; decode it with encoding/json.
	Aux json.RawMessage `json:"aux,omitempty"`
	// Error is the error message; prefer ErrorDetail (or Failed), which the
	// Engine sends along with it.
	Error string `json:"error,omitempty"`
	// ErrorDetail describes an error that ended the operation.
	ErrorDetail *ErrorDetail `json:"errorDetail,omitempty"`
	// From is the image an old-style event is about (rarely set).
	From string `json:"from,omitempty"`
	// Time is the Unix time of an old-style event in seconds (rarely set).
	Time int64 `json:"time,omitempty"`
	// TimeNano is Time in nanoseconds (rarely set).
	TimeNano int64 `json:"timeNano,omitempty"`
}

// ProgressDetail is the numeric progress of one item (layer) of an image
// operation.
type ProgressDetail struct {
	// Current is how much is done, in Unit (bytes when Unit is empty).
	Current int64 `json:"current,omitempty"`
	// Total is how much there is to do; zero or less when unknown.
	Total int64 `json:"total,omitempty"`
	// Start is the Unix time in seconds the item started, when sent.
	Start int64 `json:"start,omitempty"`
	// Unit names what Current and Total count when not bytes.
	Unit string `json:"units,omitempty"`
	// HideCounts asks renderers to show the bar without the counts.
	HideCounts bool `json:"hidecounts,omitempty"`
}

// ErrorDetail is the error carried by a failed message.
type ErrorDetail struct {
	// Code is an HTTP-like status code, when the Engine gives one.
	Code int `json:"code,omitempty"`
	// Message is the error text.
	Message string `json:"message,omitempty"`
}

// Failed reports whether the message carries an error, and if so its text
// and code (0 when the Engine sent none). The text is ErrorDetail's message,
// or Error when that is empty; a message with an empty ErrorDetail and no
// Error still fails, with the text "unknown error".
func (p Progress) Failed() (message string, code int, failed bool) {
	if p.ErrorDetail == nil && p.Error == "" {
		return "", 0, false
	}
	if p.ErrorDetail != nil {
		message, code = p.ErrorDetail.Message, p.ErrorDetail.Code
	}
	if message == "" {
		message = p.Error
	}
	if message == "" {
		message = "unknown error"
	}
	return message, code, true
}
