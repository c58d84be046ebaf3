import { QueriesSection } from '@/components/queries/queries-section';

export default async function QueriesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <QueriesSection project={slug} />;
}
