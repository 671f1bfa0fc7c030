import { Sections, type Section } from '../components/Sections';
import { PendingScreen } from './Pending';
import { DeepLinks } from './inspector/DeepLinks';

/** Inspector sections. Each feature adds one entry here and one file under inspector/. */
const SECTIONS: Section[] = [
  { id: 'deep-links', label: 'Deep links', render: () => <DeepLinks /> },
  {
    id: 'pending',
    label: 'Tokens',
    render: () => <PendingScreen title="Inspector" what="Decoding tokens and deep links" issue="#3 and #5" />,
  },
];

export const InspectorScreen = () => <Sections label="Inspector" sections={SECTIONS} />;
