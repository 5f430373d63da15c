module github.com/berth-go/berth/bench/footprint/berth

go 1.24.0

require github.com/berth-go/berth v0.0.0

require golang.org/x/net v0.50.0 // indirect

replace github.com/berth-go/berth => ../../..
