// An app without a framework: calls made before load() are queued like the snippet's, and
// load() without a base takes the files from this version's CDN folder, with SRI on the loader.
import { identify, load, on, open } from 'baton-widget';

window.__events = [];
identify({ id: 'u-2', email: 'grace@example.com' });
on('open', () => window.__events.push('open'));
open(); // loads the widget as soon as the loader runs, without a click
window.__loaded = load({ config: { kb: '/demo-kb.json' } });
