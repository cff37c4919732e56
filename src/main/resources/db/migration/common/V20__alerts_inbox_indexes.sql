-- Indexes for the console's alert inbox (GET /api/v1/alerts: status, region, newest first, paged
-- by (raised_at, alert_id)). A page reads about a page of rows in either case:
-- * a county or smaller region is an equality on county_code: this index is in page order;
-- * a province or prefecture is a range of county codes: the scan in page order by status
--   below stops once a page of the region is found.
CREATE INDEX IF NOT EXISTS alerts_status_county_idx ON alerts (status, county_code, raised_at DESC, alert_id DESC);
CREATE INDEX IF NOT EXISTS alerts_status_raised_idx ON alerts (status, raised_at DESC, alert_id DESC);
-- Covered by alerts_status_raised_idx, which adds alert_id for the cursor's row comparison.
DROP INDEX IF EXISTS alerts_status_idx;
