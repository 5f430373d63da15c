package integration

import (
	"testing"

	"github.com/berth-go/berth/internal/testing/contract"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// TestContract runs the behaviour suite that docker/dockertest also runs
// against the fake, here against the real Engine.
func TestContract(t *testing.T) {
	cli := testenv.Client(t)
	contract.Run(t, contract.Target{Name: "engine", Client: cli, Image: testenv.Image(t), Labels: testenv.Labels(), Podman: testenv.ServerOf(t).Podman})
}
