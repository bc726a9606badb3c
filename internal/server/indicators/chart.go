package indicators

import "math"

// barChart is a chart drawn as SVG on the server: readable without
// JavaScript, printable, and always followed by a table of its figures for
// those who would rather read (and for assistive technologies: the SVG is
// one image with a title and a description).
type barChart struct {
	ID, Title, Desc string
	Width, Height   int
	Bars            []chartBar
	Vertical        bool
}

// chartBar is one bar with its place in the chart's coordinates.
type chartBar struct {
	Label, Text    string
	Value          float64
	X, Y, W, H     float64
	LabelX, LabelY float64
	TextX, TextY   float64
	ShowLabel      bool
}

const (
	chartWidth  = 640
	chartLabelW = 270
	chartRowH   = 30
)

// horizontalChart lays bars out in rows; centred draws a funnel.
func horizontalChart(id, title, desc string, labels []string, values []float64, texts []string, centred bool) barChart {
	ch := barChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: chartRowH*len(values) + 10}
	area := float64(chartWidth - chartLabelW - 70)
	top := maxOf(values)
	for i, v := range values {
		w := 0.0
		if top > 0 {
			w = math.Max(v/top*area, 2)
		}
		x := float64(chartLabelW)
		if centred {
			x += (area - w) / 2
		}
		y := float64(i*chartRowH + 5)
		ch.Bars = append(ch.Bars, chartBar{Label: labels[i], Text: texts[i], Value: v, X: x, Y: y, W: w, H: chartRowH - 8,
			LabelX: chartLabelW - 8, LabelY: y + chartRowH/2, TextX: x + w + 6, TextY: y + chartRowH/2, ShowLabel: true})
	}
	return ch
}

// verticalChart lays bars out in columns (months); every step-th label shows.
func verticalChart(id, title, desc string, labels []string, values []float64, texts []string) barChart {
	const h, bottom = 200.0, 40.0
	ch := barChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: int(h + bottom), Vertical: true}
	n := len(values)
	if n == 0 {
		return ch
	}
	slot := float64(chartWidth-20) / float64(n)
	step := int(math.Ceil(float64(n) / 12))
	top := maxOf(values)
	for i, v := range values {
		bh := 0.0
		if top > 0 {
			bh = v / top * (h - 20)
		}
		x := 10 + float64(i)*slot
		ch.Bars = append(ch.Bars, chartBar{Label: labels[i], Text: texts[i], Value: v, X: x + slot*0.15, Y: h - bh,
			W: slot * 0.7, H: bh, LabelX: x + slot/2, LabelY: h + 16, TextX: x + slot/2, TextY: h - bh - 4,
			ShowLabel: i%step == 0})
	}
	return ch
}

func maxOf(values []float64) float64 {
	top := 0.0
	for _, v := range values {
		top = math.Max(top, v)
	}
	return top
}
