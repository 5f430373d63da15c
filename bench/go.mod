module github.com/berth-go/berth/bench

go 1.24.0

require (
	github.com/berth-go/berth v0.0.0-00010101000000-000000000000
	github.com/moby/moby/api v1.56.1
)

replace github.com/berth-go/berth => ../
