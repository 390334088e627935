/** The page's entry point: the inspector and the guided tour. */
import { Inspector } from './inspector.js';
import { Tour } from './tour.js';

const inspector = new Inspector();
const locations = (document.body.dataset['tokenLocation'] ?? 'headers').split(',');
new Tour(inspector, locations);
inspector.showSample();
