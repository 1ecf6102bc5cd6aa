// The page's entry: its style sheet and every module, which register their
// views (views.js) as they load. scripts/ui-build.sh bundles this into
// dist/app.js and dist/app.css.
import './app.css';
import './app.js';
import './incidents.js';
import './map.js';
import './chart.js';
import './admin.js';
import './audit.js';
import './upload.js';
