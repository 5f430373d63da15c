package dockertest_test

import (
	"testing"

	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/internal/testing/contract"
)

// TestContract runs the behaviour suite that integration/ also runs against
// the real Engine.
func TestContract(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"1.41", "1.57"} {
		t.Run("API"+v, func(t *testing.T) {
			t.Parallel()
			srv := dockertest.NewServer(t, dockertest.WithAPIVersion(v))
			ref := "berth-test:contract"
			// The binary's bytes do not matter (HandleProcess runs it);
			// they give the image a size, as the real one has.
			bin := map[string][]byte{"/berth-test": []byte("the berth-test multi-tool\n")}
			if _, err := srv.AddImage(ref, image.Config{Entrypoint: []string{"/berth-test"}, Labels: map[string]string{"berth.test": "1"}}, bin); err != nil {
				t.Fatal(err)
			}
			srv.HandleProcess("/berth-test", contract.TestImageProcess())
			contract.Run(t, contract.Target{Name: "fake", Client: srv.Client(), Image: ref,
				Labels: map[string]string{"berth.test": "1"}, Fake: true})
		})
	}
}
