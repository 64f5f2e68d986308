package mockserver

import (
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/ui"
)

// handleDashboard serves GET /_mock/ui, the embedded dashboard page.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	ui.Write(w)
}
