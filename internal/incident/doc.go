// Package incident holds Mosaic's attacks as data: incidents, calendars and tempo statistics.
package incident
