/** The console's entry point: renders into the page's `#console` element. */
import { render } from 'preact';
import { Console } from './Console';

const root = document.getElementById('console');
if (root) {
  render(<Console />, root);
}
