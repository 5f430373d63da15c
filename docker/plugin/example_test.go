package plugin_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/plugin"
	"github.com/berth-go/berth/docker/registry"
)

// Installing a plugin from a registry: read the privileges it needs, accept
// them, pull it, and enable it.
func Example() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	plugins := plugin.New(cli)
	const ref = "registry.local:5000/acme/volumes:1.0"
	auth := plugin.RegistryAuth(registry.AuthConfig{Username: "ci", Password: os.Getenv("REGISTRY_PASSWORD")})

	privs, err := plugins.Privileges(ctx, ref, auth)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range privs {
		fmt.Printf("the plugin needs %s: %v\n", p.Name, p.Value) // ask the user here
	}
	for p, err := range plugins.Pull(ctx, ref, privs, auth) {
		if err != nil {
			log.Fatal(err) // *docker.Error, or *docker.StreamError from inside the stream
		}
		fmt.Println(p.Status)
	}
	if err := plugins.Enable(ctx, ref, plugin.Timeout(30*time.Second)); err != nil {
		log.Fatal(err)
	}
}

// Creating a plugin from a directory holding its root file system, and
// pushing it.
func ExampleWriteContext() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	cfg := plugin.Config{
		Description: "a volume plugin",
		Interface:   plugin.Interface{Types: []string{"docker.volumedriver/1.0"}, Socket: "acme.sock"},
		Entrypoint:  []string{"/acme-volumes"},
		Network:     plugin.NetworkConfig{Type: "none"},
		Env:         []plugin.Env{{Name: "DEBUG", Settable: []string{"value"}, Value: "0"}},
	}
	// Stream the context: the goroutine ends when it is written or when
	// Create stops reading (pr.Close makes its writes fail).
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(plugin.WriteContext(pw, cfg, os.DirFS("./rootfs"))) }()
	plugins := plugin.New(cli)
	err = plugins.Create(ctx, "registry.local:5000/acme/volumes:1.0", pr)
	pr.Close()
	if err != nil {
		log.Fatal(err)
	}
	for p, err := range plugins.Push(ctx, "registry.local:5000/acme/volumes:1.0") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.Status)
	}
}
