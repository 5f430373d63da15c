package image

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

type commitConfig struct {
	base
	repo, tag, comment, author string
	noPause                    bool
	changes                    []string
}

// Comment sets the commit message.
func Comment(msg string) CommitOption {
	return commitFunc(func(c *commitConfig) { c.comment = msg })
}

// Author sets the image's author, e.g. "Jane Doe <jane@example.com>".
func Author(author string) CommitOption {
	return commitFunc(func(c *commitConfig) { c.author = author })
}

// NoPause commits without pausing the container (pause=0); by default the
// daemon pauses it for the time of the commit.
func NoPause() CommitOption {
	return commitFunc(func(c *commitConfig) { c.noPause = true })
}

// Commit creates an image from a container's filesystem changes and
// returns its ID. config overrides the container's configuration in the new
// image; its zero value keeps it as it is. Options: Repo, Comment, Author,
// NoPause, Changes. An unknown container gives an error matching
// docker.ErrNotFound.
//
// API: POST /commit
func (s *Service) Commit(ctx context.Context, container string, config Config, opts ...CommitOption) (string, error) {
	var c commitConfig
	for _, o := range opts {
		o.applyCommit(&c)
	}
	if c.err != nil {
		return "", c.err
	}
	if err := httpx.CheckSegment("container id", container); err != nil {
		return "", err
	}
	var q httpx.Query
	q.Set("container", container)
	q.String("repo", c.repo)
	q.String("tag", c.tag)
	q.String("comment", c.comment)
	q.String("author", c.author)
	if c.noPause {
		q.Bool("pause", false)
	}
	q.Strings("changes", c.changes...)
	var out struct {
		ID string `json:"Id"`
	}
	err := s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/commit", Query: q.Values(), JSON: config}, &out)
	return imageID(out.ID), err
}
