// Package metrics exposes Essor's Prometheus metrics.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the process's collectors, on a registry of their own.
type Metrics struct {
	Registry *prometheus.Registry
	Requests *prometheus.CounterVec
	Latency  *prometheus.HistogramVec
	Actions  *prometheus.CounterVec
	// ReadModelRefused counts workflow saves the database refused for good:
	// each one is a bug to look at (an alert), never a silent retry loop.
	ReadModelRefused prometheus.Counter
}

// New registers the collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "essor_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "essor_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		Actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "essor_workflow_actions_total", Help: "Workflow actions (submissions, transitions, supports) by outcome.",
		}, []string{"action", "outcome"}),
		ReadModelRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "essor_read_model_refused_total", Help: "Read-model writes refused for good by the database (each needs a look).",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.Actions, m.ReadModelRefused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
