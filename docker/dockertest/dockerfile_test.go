package dockertest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDockerfile(t *testing.T) {
	t.Parallel()
	type in struct {
		Line          int
		Cmd, Args     string
		Flags         []string
		Original      string
		EscapeIsGrave bool
	}
	for _, tc := range []struct {
		name   string
		src    string
		onLine bool // Engine 23 (API 1.42) and later
		want   []in
		err    string
	}{
		{
			name: "plain",
			src:  "FROM scratch\n# a comment\n\ncopy --chown=1:2  a b\n",
			want: []in{{Line: 1, Cmd: "FROM", Args: "scratch", Original: "FROM scratch"},
				{Line: 4, Cmd: "COPY", Args: "a b", Flags: []string{"--chown=1:2"}, Original: "copy --chown=1:2  a b"}},
		},
		{
			name: "continuation with a comment inside",
			src:  "FROM scratch\r\nENV A=1 \\\n# dropped\n    B=2\nLABEL x=y\\\n",
			want: []in{{Line: 1, Cmd: "FROM", Args: "scratch", Original: "FROM scratch"},
				{Line: 2, Cmd: "ENV", Args: "A=1     B=2", Original: "ENV A=1     B=2"},
				{Line: 5, Cmd: "LABEL", Args: "x=y", Original: "LABEL x=y"}},
		},
		{
			name: "escape directive",
			src:  "# escape=`\nFROM scratch\nENV P=C:\\dir `\n  Q=1\n",
			want: []in{{Line: 2, Cmd: "FROM", Args: "scratch", Original: "FROM scratch", EscapeIsGrave: true},
				{Line: 3, Cmd: "ENV", Args: "P=C:\\dir   Q=1", Original: "ENV P=C:\\dir   Q=1", EscapeIsGrave: true}},
		},
		{name: "unknown instruction", src: "FROM scratch\nfrobnicate x\n", err: "dockerfile parse error line 2: unknown instruction: FROBNICATE"},
		{name: "unknown instruction, Engine 23", src: "FROM scratch\nfrobnicate x\n", onLine: true, err: "dockerfile parse error on line 2: unknown instruction: frobnicate"},
		{name: "empty", src: "# only a comment\n\n", err: "failed to parse Dockerfile: file with no instructions"},
		{name: "no stage", src: "ARG X\nCOPY a b\n", err: "no build stage in current context"},
		{name: "ENV without arguments", src: "FROM scratch\nENV\n", err: "dockerfile parse error line 2: ENV requires at least one argument"},
		{name: "ENV without arguments, Engine 23", src: "FROM scratch\nENV\n", onLine: true, err: "dockerfile parse error on line 2: ENV requires at least one argument"},
		{name: "ENV name only", src: "FROM scratch\nENV A\n", err: "dockerfile parse error line 2: ENV must have two arguments"},
		{name: "COPY one argument", src: "FROM scratch\nCOPY a\n", err: "COPY requires at least two arguments"},
		{name: "FROM two words", src: "FROM a b\n", err: "FROM requires either one or three arguments"},
		{name: "SHELL not JSON", src: "FROM scratch\nSHELL sh -c\n", err: "SHELL requires the arguments to be in JSON form"},
		{name: "bad escape", src: "# escape=x\nFROM scratch\n", err: "invalid ESCAPE 'x'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, escape, err := parseDockerfile([]byte(tc.src), tc.onLine)
			if tc.err != "" {
				var pe *parseError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var out []in
			for _, g := range got {
				out = append(out, in{g.line, g.cmd, g.args, g.flags, g.original, escape == '`'})
			}
			if d := cmp.Diff(tc.want, out); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestLexer(t *testing.T) {
	t.Parallel()
	env := map[string]string{"A": "1", "EMPTY": "", "SP": "a b"}
	lx := lexer{escape: '\\', lookup: func(n string) (string, bool) { v, ok := env[n]; return v, ok }}
	for _, tc := range []struct {
		in    string
		words []string
		word  string
		err   bool
	}{
		{in: `$A ${A}x "$A y" '$A'`, words: []string{"1", "1x", "1 y", "$A"}, word: `1 1x 1 y $A`},
		{in: `${MISSING:-def} ${EMPTY:-e} ${EMPTY-e} ${A:+alt} ${MISSING:+alt}`, words: []string{"def", "e", "alt"}, word: "def e  alt "},
		{in: `\$A a\ b "q\"q"`, words: []string{"$A", "a b", `q"q`}, word: `$A a b q"q`},
		// Like the Engine's lexer, an unquoted value splits into words; a
		// quoted one does not.
		{in: `$SP "$SP"`, words: []string{"a", "b", "a b"}, word: "a b a b"},
		{in: `"open`, err: true},
		{in: `${A`, err: true},
		{in: `cost $ 5`, words: []string{"cost", "$", "5"}, word: "cost $ 5"},
	} {
		words, err := lx.words(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("words(%q): no error", tc.in)
			}
			continue
		}
		word, err2 := lx.word(tc.in)
		if err != nil || err2 != nil {
			t.Fatalf("%q: %v, %v", tc.in, err, err2)
		}
		if d := cmp.Diff(tc.words, words); d != "" {
			t.Errorf("words(%q) (-want +got)\n%s", tc.in, d)
		}
		if word != tc.word {
			t.Errorf("word(%q) = %q, want %q", tc.in, word, tc.word)
		}
	}
}

func TestLexerRawWords(t *testing.T) {
	t.Parallel()
	lx := lexer{escape: '\\'}
	got := lx.rawWords(`  a "b c"  d\ e 'f g\' B="x y" `)
	want := []string{"a", `"b c"`, `d\ e`, `'f g\'`, `B="x y"`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// FuzzParseDockerfile feeds the parser and the lexer arbitrary bytes: they
// may refuse them, never panic or loop.
func FuzzParseDockerfile(f *testing.F) {
	for _, seed := range []string{
		"FROM scratch\nCOPY a b\n",
		"# escape=`\nFROM x AS y\nENV A=\"1 2\" B=${A:-z} \\\n C=3\n",
		"FROM scratch\nRUN [\"a\", \"b\"]\nCMD echo $HOME\n",
		"ARG X=${Y:+${Z}}\nFROM $X\n",
		"\\\n\\\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ins, escape, err := parseDockerfile(src, true)
		if err != nil {
			return
		}
		lx := lexer{escape: escape, lookup: func(string) (string, bool) { return "v", true }}
		for _, in := range ins {
			_, _ = lx.words(in.args)
			for _, w := range lx.rawWords(in.args) {
				_, _ = lx.word(w)
			}
			_, _ = lx.word(in.args)
			_, _ = execForm(in.args)
		}
	})
}
