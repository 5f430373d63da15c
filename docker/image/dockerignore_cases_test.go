package image

// ignoreCase is a .dockerignore and the files of a context: which the CLI
// sends and which it leaves out. The cases were checked against the docker
// CLI 28.2 (see TestDockerignoreMatchesCLI).
type ignoreCase struct {
	name       string
	dockerfile string   // "" means "Dockerfile"
	ignore     string   // the .dockerignore content
	included   []string // files sent
	excluded   []string // files left out
}

var ignoreCases = []ignoreCase{
	{name: "none", ignore: "", included: []string{"a", "sub/b"}},
	{name: "extension with exception", ignore: "*.md\n!README.md\n", included: []string{"README.md", "sub/b.md", "main.go"}, excluded: []string{"a.md", "docs.md"}},
	{name: "double star any depth", ignore: "**/*.md\n", included: []string{"a.mdx", "sub/c.txt"}, excluded: []string{"a.md", "sub/b.md", "sub/deep/c.md"}},
	{name: "directory excludes contents", ignore: "sub\n", included: []string{"subway", "other/sub"}, excluded: []string{"sub/a", "sub/deep/b"}},
	{name: "leading slash", ignore: "/abs\n", included: []string{"x/abs"}, excluded: []string{"abs"}},
	{name: "cleaned pattern", ignore: "./dot/../cleaned/\n", included: []string{"dot/x"}, excluded: []string{"cleaned/f"}},
	{name: "re-include inside excluded dir", ignore: "big\n!big/keep\n", included: []string{"big/keep"}, excluded: []string{"big/blob", "big/other/x"}},
	{name: "everything but one", ignore: "*\n!important.txt\n", included: []string{"important.txt"}, excluded: []string{"a", "dir/b"}},
	{name: "double star in the middle", ignore: "a/**/b\n", included: []string{"a/xb", "a/c"}, excluded: []string{"a/b", "a/x/y/b"}},
	{name: "trailing double star", ignore: "docs/**\n", included: []string{"docsx/a"}, excluded: []string{"docs/a", "docs/x/y"}},
	{name: "double star alone", ignore: "**\n", excluded: []string{"a", "d/e/f"}},
	{name: "question mark", ignore: "?.txt\n", included: []string{"ab.txt", "d/a.txt"}, excluded: []string{"a.txt"}},
	{name: "character class", ignore: "[ab].log\n", included: []string{"c.log"}, excluded: []string{"a.log", "b.log"}},
	{name: "negated class", ignore: "[^a].log\n", included: []string{"a.log"}, excluded: []string{"c.log"}},
	{name: "last match wins", ignore: "*.txt\n!*.txt\n*.txt\n", included: []string{"x.go"}, excluded: []string{"x.txt"}},
	{name: "exception then exclusion again", ignore: "d\n!d/f\nd\n", included: []string{"d/f"}, excluded: []string{"d/g"}},
	{name: "suffix without slash", ignore: "**foo\n", included: []string{"foox"}, excluded: []string{"barfoo", "x/foo", "foo"}},
	{name: "surrounding space", ignore: "  spaced.txt  \n\t\n", included: []string{"other.txt"}, excluded: []string{"spaced.txt"}},
	{name: "comments", ignore: "# comment\n #notacomment\n", included: []string{"# comment"}, excluded: []string{"#notacomment"}},
	{name: "dir star", ignore: "dir/*\n", included: []string{"dirx"}, excluded: []string{"dir/a", "dir/sub/b"}},
	{name: "star in first element", ignore: "*/temp*\n", included: []string{"temp2", "a/b/temp3"}, excluded: []string{"a/temp1", "a/tempdir/x"}},
	{name: "escaped star", ignore: "a\\*b\n", included: []string{"axb"}, excluded: []string{"a*b"}},
	{name: "dot is literal", ignore: "foo.bar\n", included: []string{"fooxbar"}, excluded: []string{"foo.bar"}},
	{name: "dockerfile excluded but sent", ignore: "Dockerfile\n.dockerignore\n", included: []string{"a"}},
	{name: "custom dockerfile excluded", dockerfile: "build/app.Dockerfile", ignore: "build\n", included: []string{"a", "build/app.Dockerfile"}, excluded: []string{"build/other"}},
	{name: "exception for nested file", ignore: "**/node_modules\n!keep/node_modules\n", included: []string{"keep/node_modules/x"}, excluded: []string{"node_modules/a", "web/node_modules/b"}},
	{name: "exception pattern with star", ignore: "logs\n!logs/*.keep\n", included: []string{"logs/a.keep"}, excluded: []string{"logs/a.log", "logs/sub/b.keep"}},
	{name: "trailing slash", ignore: "vendor/\n", included: []string{"vendorx"}, excluded: []string{"vendor/a"}},
	{name: "bom", ignore: "\xef\xbb\xbfbom.txt\n", included: []string{"x"}, excluded: []string{"bom.txt"}},
	{name: "crlf", ignore: "win.txt\r\n", excluded: []string{"win.txt"}, included: []string{"x"}},
	{name: "exception first", ignore: "!keep\n*\n", excluded: []string{"keep", "x"}},
	{name: "star matches dot files", ignore: ".*\n", included: []string{"a.b"}, excluded: []string{".env", ".git/config"}},
	{name: "exception outside the directory's prefix", ignore: "logs\n!**/*.keep\n", included: []string{"a.keep"}, excluded: []string{"logs/a.keep"}},
	{name: "nested exception re-excluded", ignore: "a\n!a/b\na/b/c\n", included: []string{"a/b/d"}, excluded: []string{"a/x", "a/b/c"}},
}
