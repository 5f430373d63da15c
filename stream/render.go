package stream

import (
	"io"
	"strconv"
	"strings"
)

// Renderer draws a stream of Progress messages for a person to read, the way
// the docker command line does: one line per layer (or other ID) that is
// redrawn in place as its progress changes when the output is a terminal,
// and plain lines without the progress-bar updates otherwise.
//
// In terminal mode Render moves the cursor with ANSI escape sequences, and
// assumes each line fits the terminal's width. Text that is not per-item
// progress (build output, a status without an ID) starts a new block: IDs
// seen before it get new lines when they show up again.
//
// A Renderer is not safe for concurrent use.
type Renderer struct {
	w        io.Writer
	terminal bool
	rows     map[string]int // row of each ID in the current block, from 0
	midLine  bool           // the cursor is after an in-place line without ID
	line     []byte         // reused output buffer
}

// NewRenderer returns a Renderer drawing on w, with cursor movement when
// terminal is true (decide it with the terminal package of your choice).
func NewRenderer(w io.Writer, terminal bool) *Renderer {
	return &Renderer{w: w, terminal: terminal, rows: make(map[string]int)}
}

// Render draws p, with a single Write to the Renderer's writer (or none: a
// message that only carries Aux draws nothing, and in plain mode neither do
// progress-bar updates). A message that carries an error is drawn as a line
// "error: " and its text; Render itself only returns the error from writing,
// so use p.Failed to act on failures.
func (r *Renderer) Render(p Progress) error {
	r.line = r.line[:0]
	msg, _, failed := p.Failed()
	bar := progressBar(p)
	switch {
	case failed:
		r.block()
		r.line = append(r.line, "error: "...)
		r.line = append(r.line, msg...)
		r.line = append(r.line, '\n')
	case p.Stream != "":
		r.block()
		r.line = append(r.line, p.Stream...)
	case p.ID != "" && (p.ProgressDetail != nil || p.Progress != ""):
		// Per-item progress.
		switch {
		case r.terminal:
			r.row(p, bar)
		case !isUpdate(p):
			r.text(p, "")
			r.line = append(r.line, '\n')
		}
	case isUpdate(p):
		// Progress about nothing in particular (an upload, say): redrawn
		// where it is in a terminal.
		if r.terminal {
			clear(r.rows)
			r.line = append(r.line, "\r\x1b[2K"...)
			r.text(p, bar)
			r.midLine = true
		}
	case p.Status != "" || p.ID != "" || p.From != "":
		r.block()
		r.text(p, "")
		r.line = append(r.line, '\n')
	}
	if len(r.line) == 0 {
		return nil
	}
	_, err := r.w.Write(r.line)
	return err
}

// block ends the current block of per-ID rows (in terminal mode), moving to
// a new line first if an in-place line is open.
func (r *Renderer) block() {
	r.newLine()
	clear(r.rows)
}

// newLine moves off an open in-place line.
func (r *Renderer) newLine() {
	if r.midLine {
		r.line = append(r.line, '\n')
		r.midLine = false
	}
}

// row draws p on the row of its ID, adding the row if the ID is new.
func (r *Renderer) row(p Progress, bar string) {
	r.newLine()
	i, ok := r.rows[p.ID]
	if !ok {
		r.rows[p.ID] = len(r.rows)
		r.text(p, bar)
		r.line = append(r.line, '\n')
		return
	}
	up := strconv.Itoa(len(r.rows) - i)
	r.line = append(r.line, "\x1b["...)
	r.line = append(r.line, up...)
	r.line = append(r.line, "A\r\x1b[2K"...)
	r.text(p, bar)
	r.line = append(r.line, "\x1b["...)
	r.line = append(r.line, up...)
	r.line = append(r.line, "B\r"...)
}

// text appends "ID: Status bar" (without the parts that are empty), on one
// line.
func (r *Renderer) text(p Progress, bar string) {
	start := len(r.line)
	if p.ID != "" {
		r.line = append(r.line, p.ID...)
		r.line = append(r.line, ": "...)
	}
	if p.From != "" {
		r.line = append(r.line, "(from "...)
		r.line = append(r.line, p.From...)
		r.line = append(r.line, ") "...)
	}
	r.line = append(r.line, p.Status...)
	if bar != "" {
		if p.Status != "" {
			r.line = append(r.line, ' ')
		}
		r.line = append(r.line, bar...)
	}
	for i := start; i < len(r.line); i++ {
		if c := r.line[i]; c == '\n' || c == '\r' {
			r.line[i] = ' '
		}
	}
}

// isUpdate reports whether p is a progress-bar update, which plain output
// leaves out.
func isUpdate(p Progress) bool {
	d := p.ProgressDetail
	return p.Progress != "" || (d != nil && (d.Current > 0 || d.Total > 0))
}

// progressBar returns what to draw for p's progress: the Engine's own
// rendering when there is one, else the counts of ProgressDetail, else "".
func progressBar(p Progress) string {
	if p.Progress != "" {
		return p.Progress
	}
	d := p.ProgressDetail
	if d == nil || d.HideCounts || (d.Current <= 0 && d.Total <= 0) {
		return ""
	}
	if d.Unit != "" {
		s := strconv.FormatInt(d.Current, 10)
		if d.Total > 0 {
			s += "/" + strconv.FormatInt(d.Total, 10)
		}
		return s + " " + d.Unit
	}
	s := humanSize(d.Current)
	if d.Total > 0 {
		s += "/" + humanSize(d.Total)
	}
	return s
}

// humanSize formats n bytes with decimal units and three significant digits,
// as in "1.23MB".
func humanSize(n int64) string {
	const units = "kMGTPE"
	if n < 1000 {
		return strconv.FormatInt(n, 10) + "B"
	}
	v := float64(n)
	u := -1
	for v >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	prec := 0
	switch {
	case v < 9.995:
		prec = 2
	case v < 99.95:
		prec = 1
	}
	var b strings.Builder
	b.WriteString(strconv.FormatFloat(v, 'f', prec, 64))
	if u == 0 {
		b.WriteString("kB")
	} else {
		b.WriteByte(units[u])
		b.WriteByte('B')
	}
	return b.String()
}
