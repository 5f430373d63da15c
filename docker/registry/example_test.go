package registry_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/berth-go/berth/docker/registry"
)

func ExampleAuthConfig_Encode() {
	auth := registry.AuthConfig{
		Username:      "alice",
		Password:      "hunter2",
		ServerAddress: "registry.local:5000",
	}
	header, err := auth.Encode() // the value of X-Registry-Auth
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(header)
	// Output:
	// eyJ1c2VybmFtZSI6ImFsaWNlIiwicGFzc3dvcmQiOiJodW50ZXIyIiwic2VydmVyYWRkcmVzcyI6InJlZ2lzdHJ5LmxvY2FsOjUwMDAifQ==
}

func ExampleAuthConfig_String() {
	auth := registry.AuthConfig{Username: "alice", Password: "hunter2"}
	fmt.Println(auth)
	fmt.Printf("%#v\n", auth)
	// Output:
	// {Username:alice Password:[redacted]}
	// registry.AuthConfig{Username:"alice", Password:"[redacted]"}
}

func ExampleDecodeAuth() {
	// A fake Engine reading the header a client sent.
	auth, err := registry.DecodeAuth("eyJpZGVudGl0eXRva2VuIjoiOWNiYWYwMjM3ODZjZDcifQ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(auth.IdentityToken != "", auth)
	// Output:
	// true {IdentityToken:[redacted]}
}

func ExampleServerAddress() {
	for _, domain := range []string{"docker.io", "", "registry.local:5000"} {
		fmt.Println(registry.ServerAddress(domain))
	}
	// Output:
	// https://index.docker.io/v1/
	// https://index.docker.io/v1/
	// registry.local:5000
}

func ExampleStore_Get() {
	// A CLI config directory as `docker login` leaves it; real programs pass
	// "" to NewStore to use $DOCKER_CONFIG or ~/.docker.
	dir, err := os.MkdirTemp("", "example-docker-config-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	config := `{"auths": {"registry.local:5000": {"auth": "YWxpY2U6aHVudGVyMg=="}}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o600); err != nil {
		log.Fatal(err)
	}

	store, err := registry.NewStore(dir)
	if err != nil {
		log.Fatal(err)
	}
	auth, err := store.Get(context.Background(), "https://registry.local:5000")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(auth)
	// Output:
	// {Username:alice Password:[redacted] ServerAddress:registry.local:5000}
}
