// Must NOT compile: the types catch a wrong config key, a wrong theme value, a payload misuse
// and an unknown event (the test expects these four errors).
import { init, on } from 'baton-widget';
init({ titel: 'Help' });
init({ theme: { position: 'top' } });
on('ready', (e) => e.version.toFixed());
on('opened', () => {});
