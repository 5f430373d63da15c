package dockertest

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// negotiate picks the media type of a response from offers, in the order
// the Engine prefers them, by the request's Accept header, as the Engine
// does for GET /events: the offer the client gives the highest weight
// wins; for equal weights an exact match beats "type/*", which beats
// "*/*", and then the earlier offer wins. Without an acceptable offer it
// answers fallback (the Engine never answers 406).
func negotiate(r *http.Request, offers []string, fallback string) string {
	best, bestQ, bestRank := fallback, 0.0, 0
	for _, offer := range offers {
		for _, rng := range acceptRanges(r) {
			rank := 0
			switch {
			case rng.mediaType == offer:
				rank = 3
			case rng.mediaType == "*/*":
				rank = 1
			case strings.HasSuffix(rng.mediaType, "/*") && strings.HasPrefix(offer, strings.TrimSuffix(rng.mediaType, "*")):
				rank = 2
			}
			if rank == 0 || rng.q <= 0 {
				continue
			}
			if rng.q > bestQ || rng.q == bestQ && rank > bestRank {
				best, bestQ, bestRank = offer, rng.q, rank
			}
		}
	}
	return best
}

// acceptRange is one media range of an Accept header and its weight.
type acceptRange struct {
	mediaType string
	q         float64
}

// acceptRanges reads the request's Accept headers; a range that does not
// parse is skipped.
func acceptRanges(r *http.Request) []acceptRange {
	var out []acceptRange
	for _, h := range r.Header.Values("Accept") {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(v, 64); err != nil {
					continue
				}
			}
			out = append(out, acceptRange{mediaType: mt, q: q})
		}
	}
	return out
}
