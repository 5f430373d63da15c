package swarm

import "context"

// List returns the swarm's secrets (without their data), filtered by the
// Filter options. Only managers answer; a node in no swarm gets
// docker.ErrUnavailable.
//
// API: GET /secrets
func (s *Secrets) List(ctx context.Context, opts ...ListOption) ([]Secret, error) {
	return listObjects[Secret](ctx, s.cli, "/secrets", opts)
}

// Create stores a secret and returns its id. A name in use is
// docker.ErrConflict; data over the limit (500 KiB) or empty without a
// Driver is docker.ErrInvalidArgument.
//
// API: POST /secrets/create
func (s *Secrets) Create(ctx context.Context, spec SecretSpec) (string, error) {
	return createObject(ctx, s.cli, "/secrets/create", spec)
}

// Inspect returns the secret with that id or name, without its data. An
// unknown secret is docker.ErrNotFound; an empty id is a local error.
//
// API: GET /secrets/{id}
func (s *Secrets) Inspect(ctx context.Context, id string) (Secret, error) {
	return inspectObject[Secret](ctx, s.cli, "/secrets/{}", "secret id", id)
}

// Update changes a secret's labels: every other field of spec must be the
// one Inspect returned (changing anything else is
// docker.ErrInvalidArgument). version must be the secret's Version last
// read; a stale one is a *StaleVersionError (docker.ErrConflict).
//
// API: POST /secrets/{id}/update
func (s *Secrets) Update(ctx context.Context, id string, version Version, spec SecretSpec) error {
	return updateObject(ctx, s.cli, "/secrets/{}/update", "secret id", id, version, spec)
}

// Remove removes the secret. An unknown secret is docker.ErrNotFound; one
// a service uses is refused by the daemon.
//
// API: DELETE /secrets/{id}
func (s *Secrets) Remove(ctx context.Context, id string) error {
	return removeObject(ctx, s.cli, "/secrets/{}", "secret id", id)
}
