package swarm

import "context"

// List returns the swarm's configs, with their data, filtered by the
// Filter options. Only managers answer; a node in no swarm gets
// docker.ErrUnavailable.
//
// API: GET /configs
func (s *Configs) List(ctx context.Context, opts ...ListOption) ([]Config, error) {
	return listObjects[Config](ctx, s.cli, "/configs", opts)
}

// Create stores a config and returns its id. A name in use is
// docker.ErrConflict; data over the limit (1000 KiB) is
// docker.ErrInvalidArgument.
//
// API: POST /configs/create
func (s *Configs) Create(ctx context.Context, spec ConfigSpec) (string, error) {
	return createObject(ctx, s.cli, "/configs/create", spec)
}

// Inspect returns the config with that id or name, with its data. An
// unknown config is docker.ErrNotFound; an empty id is a local error.
//
// API: GET /configs/{id}
func (s *Configs) Inspect(ctx context.Context, id string) (Config, error) {
	return inspectObject[Config](ctx, s.cli, "/configs/{}", "config id", id)
}

// Update changes a config's labels: every other field of spec must be the
// one Inspect returned (changing anything else is
// docker.ErrInvalidArgument). version must be the config's Version last
// read; a stale one is a *StaleVersionError (docker.ErrConflict).
//
// API: POST /configs/{id}/update
func (s *Configs) Update(ctx context.Context, id string, version Version, spec ConfigSpec) error {
	return updateObject(ctx, s.cli, "/configs/{}/update", "config id", id, version, spec)
}

// Remove removes the config. An unknown config is docker.ErrNotFound; one
// a service uses is refused by the daemon.
//
// API: DELETE /configs/{id}
func (s *Configs) Remove(ctx context.Context, id string) error {
	return removeObject(ctx, s.cli, "/configs/{}", "config id", id)
}
