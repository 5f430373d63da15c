module github.com/berth-go/berth/bench/footprint/stdlib

go 1.24
