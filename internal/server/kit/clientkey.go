package kit

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// proxySet is the configured trusted proxies (ESSOR_TRUSTED_PROXIES), as
// addresses and networks.
type ProxySet []netip.Prefix

// newProxySet reads the configured list; an entry that is neither an
// address nor a network is ignored (Fiber ignores it too).
func NewProxySet(list []string) ProxySet {
	var set ProxySet
	for _, p := range list {
		p = strings.TrimSpace(p)
		if pfx, err := netip.ParsePrefix(p); err == nil {
			set = append(set, pfx.Masked())
		} else if a, err := netip.ParseAddr(p); err == nil {
			a = a.Unmap().WithZone("")
			set = append(set, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return set
}

func (ps ProxySet) trusts(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// maxHops bounds the walk along X-Forwarded-For (the header itself is
// bounded by the request's header size).
const maxHops = 32

// clientKey names the client for per-address limits: the remote address,
// or, when that is a trusted proxy, the right-most X-Forwarded-For hop that
// is not a trusted proxy (the hops to its left are whatever the client
// chose to send). An unreadable hop falls back to the remote address. IPv6
// clients are keyed by their /64, which one subscriber usually holds whole.
func (s *Kit) ClientKey(c *fiber.Ctx) string {
	remote, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var xff []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		xff = append(xff, string(bytes.TrimSpace(v)))
	}
	return clientKeyOf(remote, xff, s.Proxies)
}

// clientKeyOf is clientKey's rule, apart from the request.
func clientKeyOf(remote netip.Addr, xff []string, trusted ProxySet) string {
	client := remote
	if len(trusted) > 0 && trusted.trusts(remote) {
		hops := splitHops(xff)
		for i := len(hops) - 1; i >= 0 && len(hops)-i <= maxHops; i-- {
			hop, ok := parseHop(hops[i])
			if !ok {
				client = remote
				break
			}
			client = hop
			if !trusted.trusts(hop) {
				break
			}
		}
	}
	return addressKey(client)
}

// splitHops lists every hop of every X-Forwarded-For header, in order.
func splitHops(headers []string) []string {
	var hops []string
	for _, h := range headers {
		for _, hop := range strings.Split(h, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHop reads one hop: an address, possibly with a port ("1.2.3.4:5",
// "[2001:db8::1]:5"); a zone is dropped.
func parseHop(h string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// addressKey is an address's limiter key: IPv4 as is, IPv6 by its /64.
func addressKey(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
