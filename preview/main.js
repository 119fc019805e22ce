// Lightning base components and SLDS expect synthetic shadow: SLDS's global styles reach inside it.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import PreviewApp from 'x/previewApp';

document.getElementById('root').appendChild(createElement('x-preview-app', { is: PreviewApp }));
