package kit

import (
	"log/slog"

	"essor/internal/auth"
	"essor/internal/config"
	"essor/internal/storage"
)

// Kit is what every programme's handlers share: the configuration, the
// store, the reference data, the pages' renderer and the sign-in sessions.
type Kit struct {
	Cfg      config.Config
	DB       *storage.DB
	Ref      *storage.Reference
	Log      *slog.Logger
	Pages    *renderer
	Sessions *auth.Sessions
	Proxies  ProxySet   // trusted proxies, for clientKey
	Exports  ExportPool // the exports streaming at once (ESSOR_EXPORT_CONCURRENCY)
}

// HeaderLimit is the room for a request line and its headers: long cookies
// and tokens pass, more is a 431.
const HeaderLimit = 16 << 10
